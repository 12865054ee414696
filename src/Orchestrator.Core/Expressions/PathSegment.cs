namespace Orchestrator.Core.Expressions;

/// <summary>One step of a <see cref="ReferencePath"/> after its root: <c>.name</c>, <c>[n]</c> or <c>[*]</c>.</summary>
/// <param name="Kind">What the segment selects.</param>
/// <param name="Name">The property name, for <see cref="PathSegmentKind.Property"/>; otherwise <see langword="null"/>.</param>
/// <param name="Index">The list position, for <see cref="PathSegmentKind.Index"/>; otherwise 0.</param>
public readonly record struct PathSegment(PathSegmentKind Kind, string? Name, int Index)
{
    /// <summary>A <c>.name</c> segment.</summary>
    /// <param name="name">The property name.</param>
    public static PathSegment Property(string name) => new(PathSegmentKind.Property, name, 0);

    /// <summary>A <c>[n]</c> segment.</summary>
    /// <param name="index">The zero-based list position.</param>
    public static PathSegment At(int index) => new(PathSegmentKind.Index, null, index);

    /// <summary>The <c>[*]</c> segment.</summary>
    public static PathSegment Wildcard { get; } = new(PathSegmentKind.Wildcard, null, 0);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        PathSegmentKind.Property => "." + Name,
        PathSegmentKind.Index => "[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
        _ => "[*]",
    };
}
