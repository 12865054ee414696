using System.Text.Json.Serialization;

namespace Orchestrator.Core.Model;

/// <summary><c>enrichment</c>: combines data from several sources into one value.</summary>
public sealed record EnrichmentStep : WorkflowStep
{
    /// <inheritdoc />
    public override string Type => StepTypeNames.Enrichment;

    /// <summary>The sources, in order.</summary>
    public EquatableArray<EnrichmentSource> Sources { get; init; }

    /// <summary>How they are combined.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public EnrichmentStrategy Strategy { get; init; }

    /// <summary>For <see cref="EnrichmentStrategy.Join"/>: the field lists are joined on.</summary>
    public string? JoinOn { get; init; }

    /// <summary>Whether lists are concatenated rather than replaced when merging.</summary>
    public bool MergeArrays { get; init; }
}
