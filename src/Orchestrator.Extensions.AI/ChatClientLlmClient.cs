using System.Text;
using Microsoft.Extensions.AI;
using Orchestrator.Core.Ports;

namespace Orchestrator.Extensions.AI;

/// <summary>
/// Answers the orchestrator's LLM steps (<c>ai_processing</c>, <c>llm_decision</c>) with a Microsoft.Extensions.AI
/// <see cref="IChatClient"/>, and so with any provider or middleware pipeline (logging, caching, telemetry) built on it.
/// </summary>
/// <remarks>
/// Each request becomes one chat call: the system prompt (when there is one) and the prompt as a user message; the model,
/// temperature and token limit as <see cref="ChatOptions"/>; a step's <c>outputSchema</c> as the JSON Schema response
/// format. The reply's text, model id and token usage come back to the orchestrator's usage accounting. Exceptions from
/// the chat client are not caught here: the orchestrator reports them as the step's failure (<c>LLM_EXCEPTION</c>).
/// </remarks>
public sealed class ChatClientLlmClient : ILlmClient
{
    private readonly IChatClient _chatClient;
    private readonly ChatClientLlmClientOptions _options;

    /// <summary>Creates a client that asks <paramref name="chatClient"/>.</summary>
    /// <param name="chatClient">The chat client (or pipeline); not disposed by this adapter.</param>
    /// <param name="options">How requests are mapped; the defaults when absent.</param>
    public ChatClientLlmClient(IChatClient chatClient, ChatClientLlmClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(chatClient);
        _chatClient = chatClient;
        _options = options ?? new ChatClientLlmClientOptions();
    }

    /// <inheritdoc />
    public async ValueTask<LlmResponse> CompleteAsync(LlmRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var messages = CreateMessages(request);
        var chatOptions = CreateChatOptions(request);
        _options.ConfigureChatOptions?.Invoke(request, chatOptions);

        var response = await _chatClient.GetResponseAsync(messages, chatOptions, cancellationToken).ConfigureAwait(false);

        return new LlmResponse
        {
            Text = response.Text,
            Model = response.ModelId ?? chatOptions.ModelId,
            InputTokens = ToInt(response.Usage?.InputTokenCount),
            OutputTokens = ToInt(response.Usage?.OutputTokenCount),
        };
    }

    internal static List<ChatMessage> CreateMessages(LlmRequest request)
    {
        var messages = new List<ChatMessage>(2);
        if (!string.IsNullOrEmpty(request.SystemPrompt))
        {
            messages.Add(new ChatMessage(ChatRole.System, request.SystemPrompt));
        }

        messages.Add(new ChatMessage(ChatRole.User, request.Prompt));
        return messages;
    }

    private ChatOptions CreateChatOptions(LlmRequest request)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = request.Model ?? _options.DefaultModel,
            Temperature = request.Temperature is { } temperature ? (float)temperature : null,
            MaxOutputTokens = request.MaxTokens,
        };

        if (request.ResponseSchema is { } schema && _options.UseJsonSchemaResponseFormat)
        {
            chatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(
                schema,
                SchemaName(request.StepId),
                $"The output of workflow step '{request.StepId}'.");
        }

        return chatOptions;
    }

    /// <summary>
    /// A schema name providers accept: OpenAI, for one, allows only letters, digits, '_' and '-', up to 64 characters.
    /// Step ids are usually like that already; anything else becomes '_'.
    /// </summary>
    internal static string SchemaName(string stepId)
    {
        var name = new StringBuilder(Math.Min(stepId.Length, 64));
        foreach (var c in stepId)
        {
            if (name.Length == 64)
            {
                break;
            }

            name.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return name.Length == 0 ? "step_output" : name.ToString();
    }

    // Usage counts are long in M.E.AI and int in the orchestrator: a count past int.MaxValue is clamped, not wrapped.
    private static int ToInt(long? count) => count is { } value ? (int)Math.Clamp(value, 0, int.MaxValue) : 0;
}
