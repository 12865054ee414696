namespace Orchestrator.Orleans.Grains;

/// <summary>A run grain's answer to a wait or status call: where the run stands, with its result once it has one.</summary>
/// <param name="State">Where the run stands.</param>
/// <param name="ResultJson">The run's <c>WorkflowExecutionResult</c> as JSON, when suspended or finished (and known here).</param>
/// <param name="Outcome">The stored outcome of a finished run, as its <c>ExecutionStatus</c> number.</param>
/// <param name="Error">Why the run is unknown here, when the orchestrator said so.</param>
[GenerateSerializer]
[Immutable]
internal sealed record RunReply([property: Id(0)] RunState State, [property: Id(1)] string? ResultJson, [property: Id(2)] int? Outcome = null, [property: Id(3)] string? Error = null);
