using Orchestrator.Core.Ports;

namespace Orchestrator.Cli.Scripting;

/// <summary>
/// The dry run's plugins: answers each <c>plugin.action</c> with its scripted responses in call order (retries
/// included), repeating the last once the list is used up. An action the script does not name fails its step with
/// <c>NO_SCRIPTED_RESPONSE</c>, naming the action and the actions the script has. Thread-safe: parallel steps may call
/// the same action at once (which of them gets which response then follows the order of the calls).
/// </summary>
internal sealed class ScriptedPluginExecutor : IPluginExecutor
{
    /// <summary>The error code of a call to an action the script does not name.</summary>
    public const string NoResponseErrorCode = "NO_SCRIPTED_RESPONSE";

    private readonly PluginScript? _script;
    private readonly TimeProvider _timeProvider;
    private readonly Dictionary<string, int[]> _calls;

    /// <summary>Creates the executor.</summary>
    /// <param name="script">The script; null when no <c>--plugins</c> file was given (every action then fails).</param>
    /// <param name="timeProvider">The clock for scripted delays (the orchestrator's).</param>
    public ScriptedPluginExecutor(PluginScript? script, TimeProvider timeProvider)
    {
        _script = script;
        _timeProvider = timeProvider;

        // One counter per action, made up front so concurrent calls only ever read the dictionary.
        _calls = script?.Actions.Keys.ToDictionary(k => k, _ => new int[1], StringComparer.Ordinal) ?? [];
    }

    /// <inheritdoc />
    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request.Plugin + "." + request.Action;
        if (_script is null)
        {
            return PluginResult.Fail(
                $"Step '{request.StepId}' calls '{key}', but no --plugins file was given, so no plugin action has a scripted response.",
                NoResponseErrorCode);
        }

        if (!_script.Actions.TryGetValue(key, out var responses))
        {
            var known = _script.Actions.Count == 0 ? "none" : string.Join(", ", _script.Actions.Keys.Order(StringComparer.Ordinal));
            return PluginResult.Fail(
                $"Step '{request.StepId}' calls '{key}', which the plugins file '{_script.Path}' does not name (it names: {known}).",
                NoResponseErrorCode);
        }

        var call = Interlocked.Increment(ref _calls[key][0]) - 1;
        var response = responses[Math.Min(call, responses.Length - 1)];
        if (response.Delay > TimeSpan.Zero)
        {
            await Task.Delay(response.Delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return response.Error is { } error
            ? PluginResult.Fail(error, response.ErrorCode, response.Retryable)
            : PluginResult.Ok(response.Data);
    }
}
