using Orchestrator.Core.Model;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Dashboard.Tests.Support;

/// <summary>The workflows the dashboard tests run.</summary>
internal static class TestWorkflows
{
    public const string Approver = "alice@example.org";

    /// <summary>Looks a customer up, summarises, waits for alice's approval (a comment required), then mails.</summary>
    public static WorkflowDefinition Renewal => Load("""
        {
          "id": "renewal-agent",
          "agent_name": "Renewal offer",
          "workflow_steps": [
            { "id": "lookup", "type": "action", "plugin": "crm", "action": "lookup", "params": { "id": 42 } },
            { "id": "summary", "type": "ai_processing", "prompt": "Summarise {{lookup.data}}", "dependencies": ["lookup"] },
            { "id": "review", "type": "human_approval", "approvers": ["alice@example.org"], "requireComment": true,
              "title": "Send the renewal offer?", "message": "Offer for {{lookup.data.customer}}", "dependencies": ["summary"] },
            { "id": "send", "type": "action", "plugin": "mail", "action": "send", "params": { "to": "ada@example.org" }, "dependencies": ["review"] }
          ]
        }
        """);

    /// <summary>Charges a card that is declined: the run fails at <c>charge</c>.</summary>
    public static WorkflowDefinition Billing => Load("""
        {
          "id": "billing-agent",
          "agent_name": "Monthly billing",
          "workflow_steps": [
            { "id": "lookup", "type": "action", "plugin": "crm", "action": "lookup", "params": { "id": 7 } },
            { "id": "charge", "type": "action", "plugin": "billing", "action": "charge", "params": { "amount": 10 }, "dependencies": ["lookup"] }
          ]
        }
        """);

    private static WorkflowDefinition Load(string json) => WorkflowJson.Load(json).GetDefinitionOrThrow();
}
