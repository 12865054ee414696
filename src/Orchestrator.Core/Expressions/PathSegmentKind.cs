namespace Orchestrator.Core.Expressions;

/// <summary>What one segment of a <see cref="ReferencePath"/> selects.</summary>
internal enum PathSegmentKind
{
    /// <summary><c>.name</c>: a property of an object.</summary>
    Property,

    /// <summary><c>[n]</c>: an element of a list.</summary>
    Index,

    /// <summary><c>[*]</c>: every element of a list.</summary>
    Wildcard,
}
