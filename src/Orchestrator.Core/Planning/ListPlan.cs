using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>A planned list before it becomes an <see cref="ExecutionPlan"/> (only when the whole workflow is free of errors).</summary>
internal sealed record ListPlan(WorkflowDefinition Definition, PlanGraph Graph, string ListPath, ListPlan?[] Bodies)
{
    /// <summary>The list's plan, with the plans of its containers' bodies.</summary>
        public ExecutionPlan Materialize()
        {
            var plan = new ExecutionPlan(Definition, Graph, ListPath);
            for (var i = 0; i < Bodies.Length; i++)
            {
                if (Bodies[i] is { } body)
                {
                    plan.SetBody(i, body.Materialize());
                }
            }

            return plan;
        }
}
