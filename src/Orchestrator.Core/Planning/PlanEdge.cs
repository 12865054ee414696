namespace Orchestrator.Core.Planning;

/// <summary>An edge of the step graph: <see cref="To"/> starts only after <see cref="From"/> has finished.</summary>
/// <param name="From">The step waited for.</param>
/// <param name="To">The waiting step.</param>
/// <param name="Kind">Why it waits.</param>
public readonly record struct PlanEdge(string From, string To, PlanEdgeKind Kind);
