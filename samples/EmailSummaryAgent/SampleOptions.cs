/// <summary>The sample's command line: <c>[--mermaid] [path]</c>.</summary>
internal sealed record SampleOptions(bool Mermaid, string? Path, bool ShowHelp, string? Error)
{
    public const string Usage = "usage: EmailSummaryAgent [--mermaid] [path/to/workflow.json]";

    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var mermaid = false;
        string? path = null;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case "--mermaid":
                    mermaid = true;
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

        return new SampleOptions(mermaid, path, ShowHelp: false, Error: null);
    }
}
