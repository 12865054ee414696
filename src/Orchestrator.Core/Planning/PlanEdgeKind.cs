namespace Orchestrator.Core.Planning;

/// <summary>Why one step waits for another.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1028:Enum storage should be Int32", Justification = "One kind is stored per edge; a byte keeps large plans small.")]
public enum PlanEdgeKind : byte
{
    /// <summary>The step lists the other in <c>dependencies</c>.</summary>
    Declared,

    /// <summary>The step reads the other's output (<c>{{other.data...}}</c>) without declaring it.</summary>
    Reference,

    /// <summary>The step is a target of the other's branch (conditional or switch).</summary>
    Branch,
}
