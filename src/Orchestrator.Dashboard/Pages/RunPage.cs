using System.Globalization;
using System.Text.Json;
using Orchestrator.Dashboard.Data;

namespace Orchestrator.Dashboard.Pages;

/// <summary>One run: summary, approvals, the plan graph, steps, a timeline, outputs and the audit trail.</summary>
internal static class RunPage
{
    public static string Body(RunDetails run, string? user, string basePath, string version, TimeSpan refresh)
    {
        var summary = run.Summary;
        var versionUrl = basePath + "/runs/" + Uri.EscapeDataString(summary.ExecutionId) + "/version";
        var html = new Html();
        html.Raw("<div id=\"run\" data-version-url=\"").Text(versionUrl).Raw("\" data-version=\"").Text(version)
            .Raw("\" data-interval=\"").Raw(((int)refresh.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Raw("\">")
            .Raw("<h1>Run <code>").Text(summary.ExecutionId).Raw("</code> ").Raw(Html.Badge(summary.Status)).Raw("</h1>")
            .Raw("<dl class=\"facts\">")
            .Raw(Fact("Workflow", summary.WorkflowName ?? "(no name)"))
            .Raw(Fact("Agent", summary.AgentId ?? "-"))
            .Raw(Fact("User", summary.UserId))
            .Raw(Fact("Started", Html.Time(summary.StartedAt)))
            .Raw(Fact("Duration", Html.Duration(summary.Duration)))
            .Raw(Fact("Tokens", Html.Number(summary.Tokens)))
            .Raw(Fact("Cost", Html.Money(summary.Cost)))
            .Raw("</dl>");
        if (run.RunError is { } error)
        {
            html.Raw("<p class=\"run-error\">").Text(error).Raw("</p>");
        }

        html.Raw(Layout.Notices(run.Notices));

        if (run.Approvals.Count > 0)
        {
            html.Raw("<h2>Waiting for approval</h2>");
            foreach (var approval in run.Approvals)
            {
                html.Raw(ApprovalCard.Render(approval, user, basePath, showRunLink: false));
            }
        }

        html.Raw("<h2>Plan</h2>");
        if (run.Mermaid is { } mermaid)
        {
            html.Raw("<div class=\"graph\" id=\"graph\"><pre class=\"mermaid\">").Text(mermaid).Raw("</pre></div>");
        }
        else
        {
            html.Raw("<p class=\"notice\">The stored definition cannot be planned, so there is no graph:</p><ul>");
            foreach (var problem in run.PlanProblems)
            {
                html.Raw("<li>").Text(problem).Raw("</li>");
            }

            html.Raw("</ul>");
        }

        html.Raw("<h2>Steps</h2>").Raw(Steps(run.Steps))
            .Raw("<h2>Timeline</h2>").Raw(Timeline(run))
            .Raw("<h2>Outputs</h2><p class=\"muted\">Redacted as the audit trail is.</p>").Raw(Outputs(run.Steps))
            .Raw("<h2>Audit trail</h2>").Raw(Audit(run))
            .Raw("</div>");
        return html.ToString();
    }

    private static string Fact(string name, string value) => "<div><dt>" + Html.E(name) + "</dt><dd>" + Html.E(value) + "</dd></div>";

    private static string Steps(IReadOnlyList<StepRow> steps)
    {
        var html = new Html();
        html.Raw("<table class=\"steps\"><thead><tr><th>Step</th><th>Type</th><th>Status</th><th class=\"num\">Attempts</th><th class=\"num\">Duration</th><th class=\"num\">Tokens in / out</th><th class=\"num\">Cost</th><th>Model</th><th>Error or reason</th></tr></thead><tbody>");
        foreach (var step in steps)
        {
            var problem = step.Error is not null ? (step.ErrorCode is null ? step.Error : step.ErrorCode + ": " + step.Error) : step.SkipReason;
            var notes = (step.CacheHit ? " (cached)" : string.Empty) + (step.UsedFallback ? " (fallback)" : string.Empty);
            html.Raw("<tr data-step=\"").Text(step.StepId).Raw("\"><td>").Text(step.StepId).Raw("</td><td>").Text(step.Type).Raw("</td><td>").Raw(Html.Badge(step.Status)).Text(notes).Raw("</td>")
                .Raw("<td class=\"num\">").Text(step.Attempts == 0 ? string.Empty : step.Attempts.ToString(CultureInfo.InvariantCulture)).Raw("</td>")
                .Raw("<td class=\"num\">").Text(step.Duration is { } d ? Html.Duration(d) : string.Empty).Raw("</td>")
                .Raw("<td class=\"num\">").Text(step.InputTokens + step.OutputTokens == 0 ? string.Empty : Html.Number(step.InputTokens) + " / " + Html.Number(step.OutputTokens)).Raw("</td>")
                .Raw("<td class=\"num\">").Text(step.Cost == 0 ? string.Empty : Html.Money(step.Cost)).Raw("</td>")
                .Raw("<td>").Text(step.Model).Raw("</td><td class=\"error\">").Text(problem).Raw("</td></tr>");
        }

        return html.Raw("</tbody></table>").ToString();
    }

    /// <summary>A Gantt chart of the steps that ran: each bar starts and ends where the step did, relative to the run's start.</summary>
    private static string Timeline(RunDetails run)
    {
        var start = run.Summary.StartedAt;
        var timed = run.Steps.Where(s => s.StartedAt is not null && s.Duration is not null).ToList();
        if (timed.Count == 0)
        {
            return "<p class=\"empty\">No step has finished yet.</p>";
        }

        var end = timed.Max(s => s.StartedAt!.Value + s.Duration!.Value);
        var total = Math.Max((end - start).TotalMilliseconds, 1);
        var html = new Html();
        html.Raw("<div class=\"gantt\">");
        foreach (var step in timed.OrderBy(s => s.StartedAt))
        {
            var offset = (step.StartedAt!.Value - start).TotalMilliseconds;
            var width = Math.Max(step.Duration!.Value.TotalMilliseconds / total * 100, 0.4);
            var label = "+" + Html.Duration(TimeSpan.FromMilliseconds(Math.Max(offset, 0))) + ", " + Html.Duration(step.Duration.Value);
            html.Raw("<div class=\"gantt-row\" data-step=\"").Text(step.StepId).Raw("\"><span class=\"gantt-label\">").Text(step.StepId).Raw("</span><span class=\"gantt-track\">")
                .Raw("<span class=\"gantt-bar status-").Text(step.Status.Replace(' ', '-')).Raw("\" style=\"left:").Raw(Html.Percent(offset / total * 100))
                .Raw(";width:").Raw(Html.Percent(width)).Raw("\" title=\"").Text(label).Raw("\"></span></span><span class=\"gantt-time\">").Text(label).Raw("</span></div>");
        }

        html.Raw("<div class=\"gantt-axis\"><span>0</span><span>").Text(Html.Duration(TimeSpan.FromMilliseconds(total))).Raw("</span></div></div>");
        return html.ToString();
    }

    private static string Outputs(IReadOnlyList<StepRow> steps)
    {
        var with = steps.Where(s => s.Output.ValueKind != JsonValueKind.Undefined).ToList();
        if (with.Count == 0)
        {
            return "<p class=\"empty\">No outputs stored yet.</p>";
        }

        var html = new Html();
        foreach (var step in with)
        {
            html.Raw("<details class=\"output\" data-step=\"").Text(step.StepId).Raw("\"><summary>").Text(step.StepId).Raw("</summary><pre>").Text(Html.Json(step.Output)).Raw("</pre></details>");
        }

        return html.ToString();
    }

    private static string Audit(RunDetails run)
    {
        if (run.Audit is not { } events)
        {
            return "<p class=\"empty\">No readable audit trail.</p>";
        }

        if (events.Count == 0)
        {
            return "<p class=\"empty\">No audit events for this run (the in-memory sink keeps the newest events only).</p>";
        }

        var html = new Html();
        html.Raw("<table class=\"audit\"><thead><tr><th class=\"num\">#</th><th>Time</th><th>Severity</th><th>Event</th><th>Step</th><th>Message</th></tr></thead><tbody>");
        foreach (var e in events)
        {
            html.Raw("<tr class=\"severity-").Text(e.Severity.Name).Raw("\"><td class=\"num\">").Text(e.Sequence.ToString(CultureInfo.InvariantCulture)).Raw("</td><td>")
                .Text(e.Timestamp.UtcDateTime.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Raw("</td><td>").Text(e.Severity.Name).Raw("</td><td>")
                .Text(e.Kind.Name).Raw("</td><td>").Text(e.StepId).Raw("</td><td>").Text(e.Message);
            if (e.Details.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                html.Raw("<details><summary>details</summary><pre>").Text(Html.Json(e.Details, 4000)).Raw("</pre></details>");
            }

            html.Raw("</td></tr>");
        }

        return html.Raw("</tbody></table>").ToString();
    }
}
