using System.Collections.Concurrent;
using System.Text.Json;
using Orchestrator.Core.Ports;

/// <summary>
/// Offline stand-ins for the agent's plugins: a mailbox with a handful of realistic unread messages and a chat
/// channel that records what it is sent. Deterministic, so the sample runs the same on every machine, with no keys.
/// </summary>
internal sealed class SamplePlugins : IPluginExecutor
{
    private static readonly JsonElement s_inbox = JsonDocument.Parse("""
        {
          "emails": [
            { "from": "billing@utility.example", "subject": "Final notice: invoice 4471 overdue", "snippet": "Service will be suspended on Friday unless payment is received." },
            { "from": "maria@team.example", "subject": "Design review moved to 3pm", "snippet": "Same room, new time. Slides are in the shared folder." },
            { "from": "newsletter@tools.example", "subject": "This week in .NET", "snippet": "Ten links you might have missed." },
            { "from": "it@company.example", "subject": "Password expires in 2 days", "snippet": "Change it from the portal to keep access." }
          ]
        }
        """).RootElement.Clone();

    /// <summary>What the chat channel received, in order.</summary>
    public ConcurrentQueue<string> Sent { get; } = new();

    /// <summary>Takes what the chat channel received since the last call.</summary>
    public IReadOnlyList<string> TakeSent()
    {
        var taken = new List<string>();
        while (Sent.TryDequeue(out var message))
        {
            taken.Add(message);
        }

        return taken;
    }

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        switch ($"{request.Plugin}.{request.Action}")
        {
            case "google-mail.search_emails":
                return ValueTask.FromResult(PluginResult.Ok(s_inbox));
            case "slack.send_message":
                var channel = request.Parameters.GetProperty("channel").GetString();
                var text = request.Parameters.GetProperty("text").GetString();
                Sent.Enqueue($"{channel}: {text}");
                using (var document = JsonDocument.Parse($$"""{ "ok": true, "channel": {{JsonSerializer.Serialize(channel)}} }"""))
                {
                    return ValueTask.FromResult(PluginResult.Ok(document.RootElement.Clone()));
                }

            default:
                return ValueTask.FromResult(PluginResult.Fail($"The sample has no plugin action {request.Plugin}.{request.Action}.", "UNKNOWN_ACTION"));
        }
    }
}
