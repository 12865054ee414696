using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Serialization;

/// <summary>What loading a workflow document produced: the definition (as much of it as could be read) and every problem found.</summary>
public sealed class WorkflowLoadResult
{
    internal WorkflowLoadResult(WorkflowDefinition? definition, IReadOnlyList<WorkflowDiagnostic> diagnostics, IReadOnlySet<string> unreadableStepIds, IReadOnlyList<int>? stepPositions = null)
    {
        StepPositions = stepPositions;
        Definition = definition;
        Diagnostics = diagnostics;
        UnreadableStepIds = unreadableStepIds;
    }

    /// <summary>
    /// The definition, without the steps that could not be read (each of which has an error in <see cref="Diagnostics"/>);
    /// <see langword="null"/> when the document itself could not be read.
    /// </summary>
    public WorkflowDefinition? Definition { get; }

    /// <summary>Every problem found, errors and warnings, in document order.</summary>
    public IReadOnlyList<WorkflowDiagnostic> Diagnostics { get; }

    /// <summary>The ids (and output variables) of steps that were present but could not be read, so the planner does not also report references to them as unknown.</summary>
    public IReadOnlySet<string> UnreadableStepIds { get; }

    /// <summary>
    /// For each step of <see cref="Definition"/>, its position in the document's step list, when unreadable steps were
    /// left out (so later diagnostics can still name document positions); <see langword="null"/> when they coincide.
    /// </summary>
    internal IReadOnlyList<int>? StepPositions { get; }

    /// <summary>The JSON path of the document's step list: <c>$.workflow_steps</c> for an agent record, <c>$</c> for a bare list.</summary>
    internal string StepsPath { get; init; } = "$.workflow_steps";

    /// <summary>Whether the document was read without errors (warnings allowed).</summary>
    public bool Succeeded => Definition is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>Returns the definition, or throws listing every error.</summary>
    /// <returns>The definition.</returns>
    /// <exception cref="WorkflowValidationException">The document had errors.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1024:Use properties where appropriate", Justification = "It throws when there are errors; a property that throws would surprise debuggers and serializers.")]
    public WorkflowDefinition GetDefinitionOrThrow() =>
        Succeeded ? Definition! : throw new WorkflowValidationException("The workflow document has errors.", Diagnostics);
}
