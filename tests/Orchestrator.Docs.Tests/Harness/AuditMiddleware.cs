using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>A host step middleware, for doc blocks: passes every step on unchanged.</summary>
public sealed class AuditMiddleware : IStepMiddleware
{
    public ValueTask<StepOutcome> InvokeAsync(StepContext context, StepHandler nextHandler) => nextHandler(context);
}
