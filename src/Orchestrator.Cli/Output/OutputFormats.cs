namespace Orchestrator.Cli.Output;

/// <summary>The <c>--format</c> names.</summary>
internal static class OutputFormats
{
    public const string Text = "text";
    public const string Json = "json";
    public const string Mermaid = "mermaid";
    public const string Timeline = "timeline";

    /// <summary>The format named by <paramref name="name"/> (already checked by the parser); text when null.</summary>
    public static OutputFormat Parse(string? name) => name switch
    {
        Json => OutputFormat.Json,
        Mermaid => OutputFormat.Mermaid,
        Timeline => OutputFormat.Timeline,
        _ => OutputFormat.Text,
    };
}
