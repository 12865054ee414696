namespace Orchestrator.Docs.Tests.Markdown;

/// <summary>A fenced code block of a Markdown file.</summary>
/// <param name="File">The file, relative to the repository root with '/' separators (e.g. <c>docs/hosting.md</c>).</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The first word of the info string (<c>csharp</c>, <c>json</c>, ...), empty when none.</param>
/// <param name="Info">The whole info string (<c>json file=plugins.json</c>).</param>
/// <param name="Text">The block's content, without the fences and the fence's indentation.</param>
/// <param name="Marker">The text of an HTML comment on the last non-blank line before the fence (<c>not-compiled: why</c>), or null.</param>
public sealed record CodeBlock(string File, int Line, string Language, string Info, string Text, string? Marker)
{
    /// <summary>The first content line (the line after the fence).</summary>
    public int FirstContentLine => Line + 1;

    /// <summary>Where the block is, as people search for it: <c>docs/hosting.md:12</c>.</summary>
    public string Location => $"{File}:{Line}";

    /// <summary>True when the marker before the block is <paramref name="name"/>, alone or followed by <c>:</c> and a reason.</summary>
    public bool HasMarker(string name) =>
        Marker is not null && (Marker == name || Marker.StartsWith(name + ":", StringComparison.Ordinal));

    /// <summary>The reason after <c>name:</c> in the marker, or null.</summary>
    public string? MarkerReason(string name) =>
        HasMarker(name) && Marker!.Length > name.Length + 1 ? Marker[(name.Length + 1)..].Trim() : null;

    public override string ToString() => $"{Location} ({Language})";
}
