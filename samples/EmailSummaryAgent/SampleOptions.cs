/// <summary>The sample's command line: <c>[--mermaid] [path]</c>, or <c>--web</c> to serve the dashboard.</summary>
internal sealed record SampleOptions(bool Mermaid, string? Path, bool ShowHelp, string? Error, bool Web = false)
{
    public const string Usage = "usage: EmailSummaryAgent [--mermaid] [path/to/workflow.json]\n       EmailSummaryAgent --web    (serves the dashboard on http://127.0.0.1:5080/orchestrator, or ASPNETCORE_URLS)";

    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var mermaid = false;
        var web = false;
        string? path = null;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--mermaid":
                    mermaid = true;
                    break;
                case "--web":
                    web = true;
                    break;
                case "-h" or "--help":
                    return new SampleOptions(mermaid, path, ShowHelp: true, Error: null);
                case var option when option.StartsWith('-'):
                    return new SampleOptions(mermaid, path, ShowHelp: false, Error: $"Unknown option '{option}'.");
                case var file when path is null:
                    path = file;
                    break;
                default:
                    return new SampleOptions(mermaid, path, ShowHelp: false, Error: "Give at most one workflow path.");
            }
        }

        return web && (mermaid || path is not null)
            ? new SampleOptions(mermaid, path, ShowHelp: false, Error: "--web takes no other option or path.")
            : new SampleOptions(mermaid, path, ShowHelp: false, Error: null, Web: web);
    }
}
