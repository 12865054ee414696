namespace Orchestrator.Core.Model;

/// <summary>The JSON <c>type</c> names of the step types.</summary>
public static class StepTypeNames
{
    /// <summary><see cref="ActionStep"/>.</summary>
    public const string Action = "action";

    /// <summary><see cref="LlmStep"/> with <see cref="LlmStepKind.Decision"/>.</summary>
    public const string LlmDecision = "llm_decision";

    /// <summary><see cref="LlmStep"/> with <see cref="LlmStepKind.Processing"/>.</summary>
    public const string AiProcessing = "ai_processing";

    /// <summary><see cref="ConditionalStep"/>.</summary>
    public const string Conditional = "conditional";

    /// <summary><see cref="LoopStep"/>.</summary>
    public const string Loop = "loop";

    /// <summary><see cref="TransformStep"/>.</summary>
    public const string Transform = "transform";

    /// <summary><see cref="DelayStep"/>.</summary>
    public const string Delay = "delay";

    /// <summary><see cref="ParallelGroupStep"/>.</summary>
    public const string ParallelGroup = "parallel_group";

    /// <summary><see cref="SwitchStep"/>.</summary>
    public const string Switch = "switch";

    /// <summary><see cref="ScatterGatherStep"/>.</summary>
    public const string ScatterGather = "scatter_gather";

    /// <summary><see cref="EnrichmentStep"/>.</summary>
    public const string Enrichment = "enrichment";

    /// <summary><see cref="ValidationStep"/>.</summary>
    public const string Validation = "validation";

    /// <summary><see cref="ComparisonStep"/>.</summary>
    public const string Comparison = "comparison";

    /// <summary><see cref="SubWorkflowStep"/>.</summary>
    public const string SubWorkflow = "sub_workflow";

    /// <summary><see cref="HumanApprovalStep"/>.</summary>
    public const string HumanApproval = "human_approval";

    /// <summary>Every step type name, in the order of the format reference.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Action, LlmDecision, AiProcessing, Conditional, Loop, Transform, Delay, ParallelGroup, Switch, ScatterGather,
        Enrichment, Validation, Comparison, SubWorkflow, HumanApproval,
    ];
}
