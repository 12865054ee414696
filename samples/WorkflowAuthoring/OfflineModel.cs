using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace WorkflowAuthoring;

/// <summary>
/// A stand-in for a real model, so the sample runs offline: its first workflow calls an action the catalog does not
/// have (<c>slack.post_message</c>), and it writes the right one only once the repair message lists the plugin's
/// actions, as a real model does with the planner's diagnostics. Swap in any <see cref="IChatClient"/> (OpenAI, Azure,
/// Ollama) to generate for real.
/// </summary>
internal sealed class OfflineModel : IChatClient
{
    private const string Workflow = """
        { "id": null, "agent_name": "Daily inbox digest", "description": "Summarises unread email into Slack.",
          "input_schema": [{ "name": "channel", "type": "string", "required": true, "default": null, "description": null }],
          "output_schema": null,
          "workflow_steps": [
            { "type": "action", "id": "search", "plugin": "google-mail", "action": "search_emails", "params": "{\"query\":\"is:unread newer_than:1d\"}" },
            { "type": "ai_processing", "id": "summarize", "prompt": "\"Summarise these emails in five bullets.\"", "input": "{{search.data.emails}}" },
            { "type": "action", "id": "post", "plugin": "slack", "action": "ACTION", "params": "{\"channel\":\"{{input.channel}}\",\"text\":\"{{summarize.data}}\"}" } ] }
        """;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var last = messages.Last().Text;
        var action = last.Contains("Its actions: send_message", StringComparison.Ordinal) ? "send_message" : "post_message";
        var reply = new ChatResponse(new ChatMessage(ChatRole.Assistant, Workflow.Replace("ACTION", action, StringComparison.Ordinal)))
        {
            Usage = new UsageDetails { InputTokenCount = 1200 + (messages.Count() * 150), OutputTokenCount = 260 },
        };
        return Task.FromResult(reply);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var update in (await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false)).ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
