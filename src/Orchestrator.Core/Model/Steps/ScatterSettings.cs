using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Core.Expressions;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Model;

/// <summary>The scatter half of a <see cref="ScatterGatherStep"/>: what is split and what runs per item.</summary>
public sealed record ScatterSettings
{
    /// <summary>The default of <see cref="ItemVariable"/>.</summary>
    public const string DefaultItemVariable = "item";

    /// <summary>The list scattered: a reference (with or without braces).</summary>
    [JsonConverter(typeof(PathOrTemplateJsonConverter))]
    [JsonInclude]
    // Not 'required': a public record cannot require an internal member. [JsonRequired] keeps the reader's check,
    // so the placeholder below is never seen by the library.
    [JsonRequired]
    internal TemplateValue Input { get; init; } = LiteralValue.Null;

    /// <summary>The list scattered: a reference (with or without braces). As JSON, in the form the workflow is saved in.</summary>
    [JsonIgnore]
    public JsonElement InputJson => ExpressionJson.OfRequired(Input);

    /// <summary>The steps run for each item.</summary>
    public EquatableArray<WorkflowStep> Steps { get; init; }

    /// <summary>The most items run at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>The name inner steps read the current item by (<c>{{item.x}}</c>); <see cref="DefaultItemVariable"/> when absent.</summary>
    public string? ItemVariable { get; init; }
}
