using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Cli.Scripting;

/// <summary>
/// The dry run's LLM: the first script entry whose key occurs in the prompt (ordinal, case-sensitive) answers. A prompt
/// that no key matches fails its step with a message quoting the prompt, so the author can see what to add to the script.
/// </summary>
internal sealed class ScriptedLlmClient : ILlmClient
{
    private readonly LlmScript? _script;

    /// <summary>Creates the client.</summary>
    /// <param name="script">The script; null when no <c>--llm</c> file was given (every LLM step then fails).</param>
    public ScriptedLlmClient(LlmScript? script) => _script = script;

    /// <inheritdoc />
    public ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_script is not null)
        {
            foreach (var reply in _script.Replies)
            {
                if (request.Prompt.Contains(reply.Key, StringComparison.Ordinal))
                {
                    return ValueTask.FromResult(new LlmResponse { Text = reply.Text, InputTokens = reply.InputTokens, OutputTokens = reply.OutputTokens });
                }
            }
        }

        // ILlmClient has no failure result: an exception is how a client says no, and the orchestrator turns it into
        // the step's error (LLM_EXCEPTION) with this message.
        var quoted = "\"" + JsonEncodedText.Encode(request.Prompt, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";
        throw new InvalidOperationException(_script is null
            ? $"No --llm file was given, so the prompt of step '{request.StepId}' has no scripted reply. The prompt: {quoted}"
            : $"No key of the LLM script '{_script.Path}' occurs in the prompt of step '{request.StepId}'. The prompt: {quoted}");
    }
}
