using System.Text;

namespace Orchestrator.Core.Expressions;

/// <summary>
/// A parsed reference such as <c>step1.data.items[0].id</c>: a root name (a step id, <c>input</c>, <c>var</c>,
/// <c>current</c>, <c>index</c>, <c>memory</c> or a scatter item variable) followed by path segments.
/// </summary>
/// <remarks>What the root names is decided by the planner from the reference's scope, not here.</remarks>
internal sealed record ReferencePath
{
    /// <summary>Creates a path from its parts.</summary>
    /// <param name="root">The root name.</param>
    /// <param name="segments">The segments after the root.</param>
    public ReferencePath(string root, EquatableArray<PathSegment> segments = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = root;
        Segments = segments;
    }

    /// <summary>The first name of the path.</summary>
    public string Root { get; }

    /// <summary>The segments after the root, in order.</summary>
    public EquatableArray<PathSegment> Segments { get; }

    /// <summary>Parses a bare path (<c>step1.data.x</c>) or one reference in braces (<c>{{step1.data.x}}</c>).</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The parsed path.</returns>
    /// <exception cref="TemplateSyntaxException">The text is not a single valid reference.</exception>
    public static ReferencePath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TemplateParser.ParseStandalonePath(text);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var builder = new StringBuilder(Root);
        foreach (var segment in Segments)
        {
            builder.Append(segment.ToString());
        }

        return builder.ToString();
    }
}
