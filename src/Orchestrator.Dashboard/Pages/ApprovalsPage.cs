using Orchestrator.Dashboard.Data;

namespace Orchestrator.Dashboard.Pages;

/// <summary>Every approval pending across suspended runs.</summary>
internal static class ApprovalsPage
{
    public static string Body(IReadOnlyList<(RunRow Run, ApprovalView Approval)> pending, IReadOnlyList<string> notices, string? user, string basePath)
    {
        var html = new Html();
        html.Raw("<h1>Approvals</h1>").Raw(Layout.Notices(notices));
        if (pending.Count == 0)
        {
            return html.Raw("<p class=\"empty\">No approval is pending.</p>").ToString();
        }

        foreach (var (run, approval) in pending)
        {
            html.Raw("<p class=\"muted\">").Text((run.WorkflowName ?? run.ExecutionId) + " for " + run.UserId).Raw("</p>")
                .Raw(ApprovalCard.Render(approval, user, basePath, showRunLink: true));
        }

        return html.ToString();
    }
}
