namespace Orchestrator.Dashboard.Pages;

/// <summary>The frame every page shares: header, navigation, styles and scripts.</summary>
internal static class Layout
{
    public static string Page(string basePath, string appTitle, string pageTitle, string active, string body, bool withMermaid = false)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Raw("<title>").Text(pageTitle + " · " + appTitle).Raw("</title>")
            .Raw("<link rel=\"stylesheet\" href=\"" + Html.E(basePath) + "/assets/dashboard.css\">");
        if (withMermaid)
        {
            html.Raw("<script src=\"" + Html.E(basePath) + "/assets/mermaid.min.js\"></script>");
        }

        html.Raw("<script src=\"" + Html.E(basePath) + "/assets/dashboard.js\" defer></script></head><body>")
            .Raw("<header><a class=\"brand\" href=\"" + Html.E(basePath) + "/\">").Text(appTitle).Raw("</a><nav>")
            .Raw(Link(basePath + "/", "Runs", active == "runs"))
            .Raw(Link(basePath + "/approvals", "Approvals", active == "approvals"))
            .Raw("</nav></header><main>")
            .Raw(body)
            .Raw("</main></body></html>");
        return html.ToString();
    }

    public static string Notices(IEnumerable<string> notices)
    {
        var html = new Html();
        foreach (var notice in notices)
        {
            html.Raw("<p class=\"notice\">").Text(notice).Raw("</p>");
        }

        return html.ToString();
    }

    private static string Link(string href, string text, bool active) =>
        "<a href=\"" + Html.E(href) + "\"" + (active ? " class=\"active\" aria-current=\"page\"" : string.Empty) + ">" + Html.E(text) + "</a>";
}
