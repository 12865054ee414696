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
    public required TemplateValue Input { get; init; }

    /// <summary>The steps run for each item.</summary>
    public EquatableArray<WorkflowStep> Steps { get; init; }

    /// <summary>The most items run at once.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>The name inner steps read the current item by (<c>{{item.x}}</c>); <see cref="DefaultItemVariable"/> when absent.</summary>
    public string? ItemVariable { get; init; }
}
