using System.Runtime.CompilerServices;
using Orchestrator.Core.Model;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary>
/// <c>action</c>: calls the host's plugin executor with the resolved parameters and the step's idempotency key. Its parts
/// are also called one by one by the plan runner, which awaits the plugin itself when no middleware acts on the step.
/// </summary>
internal static class ActionHandler
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<StepOutcome> ExecuteAsync(StepContext context)
    {
        if (context.Run.Budget.TryStartCall(context.Step.Id) is { } overBudget)
        {
            return overBudget;
        }

        var request = Start(context);
        PluginResult result;
        await context.Run.Budget.EnterAsync(context.CancellationToken).ConfigureAwait(false);
        try
        {
            result = await context.Run.Runtime.Plugins.ExecuteAsync(request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsPluginFault(ex, context))
        {
            result = Threw(context, ex);
        }
        finally
        {
            context.Run.Budget.Exit();
        }

        return ToOutcome(context, result);
    }

    /// <summary>Builds the plugin request of the step and counts the tool call; the caller sends it.</summary>
    public static PluginRequest Start(StepContext context)
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
        return request;
    }

    /// <summary>
    /// Whether an exception from the plugin is the plugin's failure, reported like one that says no. Cancellation of the
    /// step's own token is not: a timeout or a stopped run, which the resilience and runner layers tell apart.
    /// </summary>
    public static bool IsPluginFault(Exception exception, StepContext context) =>
        exception is not OperationCanceledException || !context.CancellationToken.IsCancellationRequested;

    /// <summary>The failure a plugin that threw is reported as; the error names the plugin call.</summary>
    public static PluginResult Threw(StepContext context, Exception exception)
    {
        var step = (ActionStep)context.Step;
        return PluginResult.Fail($"{step.Plugin}.{step.Action} threw {exception.GetType().Name}: {exception.Message}", "PLUGIN_EXCEPTION");
    }

    public static StepOutcome ToOutcome(StepContext context, PluginResult result)
    {
        if (result.Success)
        {
            return StepOutcome.Success(result.Data);
        }

        var step = (ActionStep)context.Step;
        return StepOutcome.Failure(result.Error ?? $"{step.Plugin}.{step.Action} failed.", result.ErrorCode, result.Retryable);
    }
}
