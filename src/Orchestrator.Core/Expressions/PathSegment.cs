namespace Orchestrator.Core.Expressions;

/// <summary>One step of a <see cref="ReferencePath"/> after its root: <c>.name</c>, <c>[n]</c> or <c>[*]</c>.</summary>
/// <param name="Kind">What the segment selects.</param>
/// <param name="Name">The property name, for <see cref="PathSegmentKind.Property"/>; otherwise <see langword="null"/>.</param>
/// <param name="Index">The list position, for <see cref="PathSegmentKind.Index"/>; otherwise 0.</param>
internal readonly record struct PathSegment(PathSegmentKind Kind, string? Name, int Index)
{
    /// <summary>A <c>.name</c> segment.</summary>
    /// <param name="name">The property name.</param>
    public static PathSegment Property(string name) => new(PathSegmentKind.Property, name, 0);

    /// <summary>A <c>[n]</c> segment.</summary>
    /// <param name="index">The zero-based list position.</param>
    public static PathSegment At(int index) => new(PathSegmentKind.Index, null, index);

    /// <summary>The <c>[*]</c> segment.</summary>
    public static PathSegment Wildcard { get; } = new(PathSegmentKind.Wildcard, null, 0);

    /// <summary>
    /// Writes the segment as it is parsed back: <c>.name</c>, or <c>['my key']</c> when the name holds characters a bare
    /// name cannot (spaces, dots, brackets, ...), so that a saved reference reads back as the same path.
    /// </summary>
    /// <returns>The segment's text.</returns>
    public override string ToString() => Kind switch
    {
        PathSegmentKind.Property when IsBareName(Name) => "." + Name,
        PathSegmentKind.Property => Quote(Name ?? string.Empty),
        PathSegmentKind.Index => "[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
        _ => "[*]",
    };

    private static bool IsBareName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!TemplateParser.IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    // The parser has no escapes inside a quoted key: a name holding a single quote is written in double quotes.
    private static string Quote(string name) => name.Contains('\'', StringComparison.Ordinal) ? "[\"" + name + "\"]" : "['" + name + "']";
}
