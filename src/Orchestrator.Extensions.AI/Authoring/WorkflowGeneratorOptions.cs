namespace Orchestrator.Extensions.AI.Authoring;

/// <summary>How <see cref="WorkflowGenerator"/> asks the model.</summary>
public sealed record WorkflowGeneratorOptions
{
    /// <summary>The default of <see cref="MaxRepairRounds"/>.</summary>
    public const int DefaultMaxRepairRounds = 3;

    /// <summary>How many times the model is sent the diagnostics of its last workflow to fix (0: one attempt, no repair).</summary>
    public int MaxRepairRounds { get; init; } = DefaultMaxRepairRounds;

    /// <summary>The model to ask; the chat client's default when null.</summary>
    public string? ModelId { get; init; }

    /// <summary>The sampling temperature; the provider's default when null.</summary>
    public float? Temperature { get; init; }

    /// <summary>
    /// Whether to constrain the reply with the strict structured-output schema (<c>WorkflowSchema.StructuredOutputJson</c>);
    /// when false, the model is only told to reply with a workflow document as JSON.
    /// </summary>
    public bool UseStructuredOutput { get; init; } = true;
}
