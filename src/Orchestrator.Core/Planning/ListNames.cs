using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>The names of one step list: its steps by id and by output variable (with their rebinds).</summary>
internal readonly record struct ListNames(WorkflowStep[] Steps, Dictionary<string, int> IndexById, Dictionary<string, int>? Outputs, Rebinds? Rebinds);
