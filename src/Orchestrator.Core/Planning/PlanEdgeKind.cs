namespace Orchestrator.Core.Planning;

/// <summary>Why one step waits for another.</summary>
public enum PlanEdgeKind
{
    /// <summary>The step lists the other in <c>dependencies</c>.</summary>
    Declared,

    /// <summary>The step reads the other's output (<c>{{other.data...}}</c>) without declaring it.</summary>
    Reference,

    /// <summary>The step is a target of the other's branch (conditional or switch).</summary>
    Branch,
}
