using System.Text.Json;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Execution.Operations;

/// <summary>
/// A field of an item named in a step's config (<c>field</c>, <c>joinOn</c>, an aggregation's field, a plain-string
/// mapping value): a path read from the item, such as <c>score</c>, <c>user.age</c> or <c>tags[0]</c>.
/// </summary>
/// <remarks>
/// A leading <c>item.</c> is accepted and dropped (<c>item.score</c> is <c>score</c>), because authors write filter
/// conditions that way and carry the habit over; to read a property literally named <c>item</c>, write <c>item.item</c>.
/// Text that is not a valid path (spaces, punctuation) is taken as one property name, so nothing here throws.
/// </remarks>
internal static class FieldPath
{
    /// <summary>Parses a field once, before the per-item loop.</summary>
    public static PathSegment[] Parse(string field)
    {
        if (!TryParse(field, out var segments))
        {
            segments = [PathSegment.Property(field)];
        }

        return segments;
    }

    /// <summary>Parses a field; false when the text is not a path.</summary>
    public static bool TryParse(string field, out PathSegment[] segments)
    {
        ReferencePath path;
        try
        {
            path = ReferencePath.Parse(field);
        }
        catch (TemplateSyntaxException)
        {
            segments = [];
            return false;
        }

        var rest = path.Segments.AsSpan();
        if (path.Root == ItemScope.ItemName)
        {
            segments = rest.ToArray();
            return true;
        }

        segments = new PathSegment[rest.Length + 1];
        segments[0] = PathSegment.Property(path.Root);
        rest.CopyTo(segments.AsSpan(1));
        return true;
    }

    /// <summary>Reads the field from an item; undefined when it is missing.</summary>
    public static JsonElement Read(JsonElement item, PathSegment[] segments) => ReferenceEvaluator.Navigate(item, segments);
}
