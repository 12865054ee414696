using System.Globalization;
using Orchestrator.Dashboard.Data;

namespace Orchestrator.Dashboard.Pages;

/// <summary>The runs list: filters, and a table that refreshes itself while the page is open.</summary>
internal static class RunsPage
{
    public static string Body(RunListing listing, string? status, string? agent, string basePath, TimeSpan refresh)
    {
        var html = new Html();
        html.Raw("<h1>Runs</h1><form class=\"filters\" method=\"get\" action=\"").Text(basePath + "/").Raw("\">")
            .Raw("<label>Status <select name=\"status\"><option value=\"\">all</option>");
        foreach (var option in RunReader.StatusFilters)
        {
            html.Raw("<option value=\"").Text(option).Raw(option == status ? "\" selected>" : "\">").Text(option).Raw("</option>");
        }

        html.Raw("</select></label><label>Agent <input name=\"agent\" list=\"agents\" value=\"").Text(agent).Raw("\" placeholder=\"any agent\"></label>")
            .Raw("<datalist id=\"agents\">");
        foreach (var known in listing.Runs.Select(r => r.AgentId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            html.Raw("<option value=\"").Text(known).Raw("\">");
        }

        var fragment = basePath + "/fragments/runs?status=" + Html.Q(status) + "&agent=" + Html.Q(agent);
        html.Raw("</datalist><button type=\"submit\">Filter</button></form>")
            .Raw(Layout.Notices(listing.Notices))
            .Raw("<div id=\"runs\" data-refresh=\"").Text(fragment).Raw("\" data-interval=\"")
            .Raw(((int)refresh.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)).Raw("\">")
            .Raw(Table(listing.Runs, basePath))
            .Raw("</div>");
        return html.ToString();
    }

    public static string Table(IReadOnlyList<RunRow> runs, string basePath)
    {
        if (runs.Count == 0)
        {
            return "<p class=\"empty\">No runs.</p>";
        }

        var html = new Html();
        html.Raw("<table class=\"runs\"><thead><tr><th>Run</th><th>Workflow</th><th>Agent</th><th>User</th><th>Status</th><th>Started</th><th>Duration</th><th class=\"num\">Tokens</th><th class=\"num\">Cost</th></tr></thead><tbody>");
        foreach (var run in runs)
        {
            html.Raw("<tr data-run=\"").Text(run.ExecutionId).Raw("\"><td><a href=\"").Text(basePath + "/runs/" + Uri.EscapeDataString(run.ExecutionId)).Raw("\">").Text(run.ExecutionId).Raw("</a></td>")
                .Raw("<td>").Text(run.WorkflowName).Raw("</td><td>").Text(run.AgentId).Raw("</td><td>").Text(run.UserId).Raw("</td>")
                .Raw("<td>").Raw(Html.Badge(run.Status));
            if (run.PendingApprovals > 0)
            {
                html.Raw(" <span class=\"pending\">").Text(run.PendingApprovals.ToString(CultureInfo.InvariantCulture) + " approval(s) pending").Raw("</span>");
            }

            html.Raw("</td><td>").Text(Html.Time(run.StartedAt)).Raw("</td><td>").Text(Html.Duration(run.Duration)).Raw("</td>")
                .Raw("<td class=\"num\">").Text(Html.Number(run.Tokens)).Raw("</td><td class=\"num\">").Text(Html.Money(run.Cost)).Raw("</td></tr>");
        }

        return html.Raw("</tbody></table>").ToString();
    }
}
