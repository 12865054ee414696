using System.Runtime.CompilerServices;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary><c>delay</c>: waits for its own <c>duration</c> on the orchestrator's <see cref="TimeProvider"/> (tests need no real waiting).</summary>
internal static class DelayHandler
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<StepOutcome> ExecuteAsync(StepContext context)
    {
        var step = (DelayStep)context.Step;
        var max = context.Run.Budget.Limits.MaxDelay;
        if (step.Duration > max)
        {
            return StepOutcome.Failure($"The step '{step.Id}' waits {step.Duration}, over Limits.{nameof(ExecutionLimits.MaxDelay)} ({max}).", ExecutionLimits.LimitExceededErrorCode);
        }

        if (step.Duration > TimeSpan.Zero)
        {
            await Task.Delay(step.Duration, context.TimeProvider, context.CancellationToken).ConfigureAwait(false);
        }

        return StepOutcome.Success(JsonValues.Write(static (writer, duration) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("delayedMs", duration.TotalMilliseconds);
            writer.WriteEndObject();
        }, step.Duration));
    }
}
