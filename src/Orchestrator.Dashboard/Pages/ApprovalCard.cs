using Orchestrator.Dashboard.Data;

namespace Orchestrator.Dashboard.Pages;

/// <summary>A pending approval with its context, and the approve / reject controls when the signed-in user may decide.</summary>
internal static class ApprovalCard
{
    public static string Render(ApprovalView approval, string? user, string basePath, bool showRunLink)
    {
        var html = new Html();
        html.Raw("<section class=\"approval\" data-step=\"").Text(approval.StepId).Raw("\" data-run=\"").Text(approval.ExecutionId).Raw("\">")
            .Raw("<h3>").Text(approval.Title ?? "Approval of step " + approval.StepId).Raw("</h3>");
        if (showRunLink)
        {
            html.Raw("<p class=\"muted\">Run <a href=\"").Text(basePath + "/runs/" + Uri.EscapeDataString(approval.ExecutionId)).Raw("\">").Text(approval.ExecutionId).Raw("</a>, step ").Text(approval.StepId).Raw("</p>");
        }

        if (approval.Message is not null)
        {
            html.Raw("<p class=\"message\">").Text(approval.Message).Raw("</p>");
        }

        var approvers = approval.Approvers.Count == 0 ? "anyone (open approvals)" : string.Join(", ", approval.Approvers);
        html.Raw("<p class=\"muted\">Approvers: ").Text(approvers).Raw(" · decided by ").Text(approval.ApprovalType == "all" ? "all of them" : "the first decision")
            .Raw(" · requested ").Text(Html.Time(approval.RequestedAt)).Raw(approval.Escalated ? " · escalated" : string.Empty)
            .Raw(approval.RequireComment ? " · a comment is required" : string.Empty).Raw("</p>");
        if (approval.Decisions.Count > 0)
        {
            html.Raw("<ul class=\"decisions\">");
            foreach (var decision in approval.Decisions)
            {
                html.Raw("<li>").Text(decision.Decision.Approver + (decision.Decision.Approved ? " approved" : " rejected") + " at " + Html.Time(decision.DecidedAt))
                    .Raw(decision.Decision.Comment is null ? string.Empty : ": ").Text(decision.Decision.Comment).Raw("</li>");
            }

            html.Raw("</ul>");
        }

        if (approval.MayDecide(user))
        {
            var url = basePath + "/runs/" + Uri.EscapeDataString(approval.ExecutionId) + "/approvals/" + Uri.EscapeDataString(approval.StepId);
            html.Raw("<form class=\"decide\" data-url=\"").Text(url).Raw("\" data-require-comment=\"").Raw(approval.RequireComment ? "true" : "false").Raw("\">")
                .Raw("<label>Comment as ").Text(user).Raw(approval.RequireComment ? " (required)" : " (optional)").Raw("<textarea name=\"comment\" rows=\"2\"></textarea></label>")
                .Raw("<div class=\"buttons\"><button type=\"button\" class=\"approve\" data-approved=\"true\">Approve</button>")
                .Raw("<button type=\"button\" class=\"reject\" data-approved=\"false\">Reject</button></div>")
                .Raw("<p class=\"result\" role=\"status\"></p></form>");
        }
        else
        {
            html.Raw("<p class=\"not-allowed\">").Text(user is null
                ? "You are signed in without a name, so you cannot decide this approval."
                : "You (" + user + ") are not an approver of this step.").Raw("</p>");
        }

        return html.Raw("</section>").ToString();
    }
}
