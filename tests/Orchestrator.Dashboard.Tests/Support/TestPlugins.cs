using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Dashboard.Tests.Support;

/// <summary>The plugins of the test workflows: a CRM lookup whose output holds a secret, a mailer, and a broken action.</summary>
internal sealed class TestPlugins : IPluginExecutor
{
    public const string Secret = "sk-live-do-not-show";

    public int Sent;

    public ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        switch ($"{request.Plugin}.{request.Action}")
        {
            case "crm.lookup":
                return ValueTask.FromResult(PluginResult.Ok(JsonDocument.Parse($$"""{ "customer": "Ada Lovelace", "tier": "gold", "api_token": "{{Secret}}" }""").RootElement.Clone()));
            case "mail.send":
                Interlocked.Increment(ref Sent);
                return ValueTask.FromResult(PluginResult.Ok(JsonDocument.Parse("""{ "sent": true }""").RootElement.Clone()));
            case "billing.charge":
                return ValueTask.FromResult(PluginResult.Fail("The card was declined.", "CARD_DECLINED"));
            default:
                return ValueTask.FromResult(PluginResult.Fail($"No action {request.Plugin}.{request.Action}.", "UNKNOWN_ACTION"));
        }
    }
}
