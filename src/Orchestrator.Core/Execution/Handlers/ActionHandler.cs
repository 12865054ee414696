using System.Runtime.CompilerServices;
using Orchestrator.Core.Model;
using Orchestrator.Core.Plugins;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary><c>action</c>: calls the host's plugin executor with the resolved parameters and the step's idempotency key.</summary>
internal static class ActionHandler
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<StepOutcome> ExecuteAsync(StepContext context)
    {
        var step = (ActionStep)context.Step;
        var request = new PluginRequest
        {
            ExecutionId = context.ExecutionId,
            UserId = context.UserId,
            AgentId = context.AgentId,
            StepId = step.Id,
            Plugin = step.Plugin,
            Action = step.Action,
            Parameters = context.Parameters,
            IdempotencyKey = context.IdempotencyKey,
            Attempt = context.Attempt,
        };

        context.Run.Counters.ToolCalled(step.Plugin);
        PluginResult result;
        try
        {
            result = await context.Run.Runtime.Plugins.ExecuteAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // A timeout or a stopped run: the resilience and runner layers tell which.
        }
        catch (Exception ex)
        {
            // A plugin that throws is reported like one that says no; the error names the plugin call.
            return StepOutcome.Failure($"{step.Plugin}.{step.Action} threw {ex.GetType().Name}: {ex.Message}", "PLUGIN_EXCEPTION");
        }

        return result.Success
            ? StepOutcome.Success(result.Data)
            : StepOutcome.Failure(result.Error ?? $"{step.Plugin}.{step.Action} failed.", result.ErrorCode, result.Retryable);
    }
}
