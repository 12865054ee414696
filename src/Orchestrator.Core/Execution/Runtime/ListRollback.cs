using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Rolls back a step list that failed: runs the rollback action of each completed step that declares one, newest first,
/// each bounded in time; what fails, times out or cannot run becomes a run warning, never an exception.
/// </summary>
internal static class ListRollback
{
    /// <summary>
    /// Compensates the completed steps of <paramref name="scope"/>'s list, and of the lists nested in it, that declare a
    /// rollback action, newest first; each reads its own output in the scope it ran in. <paramref name="callerToken"/> is
    /// the caller's token, not the list's own (already cancelled by the failure).
    /// </summary>
    public static async ValueTask RunAsync(RunContext run, StepScope scope, CancellationToken callerToken)
    {
        foreach (var (record, stepScope) in run.TakeCompensations(scope))
        {
            var rollback = record.Step.RollbackAction!;
            var request = new PluginRequest
            {
                ExecutionId = run.ExecutionId,
                UserId = run.UserId,
                AgentId = run.AgentId,
                StepId = record.Step.Id,
                Plugin = rollback.Plugin,
                Action = rollback.Action,
                Parameters = rollback.Params is null ? JsonValues.EmptyObject : TemplateEvaluator.Evaluate(rollback.Params, stepScope),
                IdempotencyKey = run.ExecutionId + ":" + stepScope.IterationKey + record.Step.Id + ":rollback",
            };

            if (callerToken.IsCancellationRequested)
            {
                run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' was not run: the run was cancelled.");
                continue;
            }

            // Bounded by SideCallTimeout and the run's own cancellation: a rollback that hangs (even one that ignores its
            // token) is abandoned and reported, never waited on forever.
            var runtime = run.Runtime;
            var timeout = runtime.Options.SideCallTimeout;
            using var timer = new CancellationTokenSource(timeout, runtime.TimeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerToken, timer.Token);
            try
            {
                var result = await SideCalls.BoundAsync(runtime.Plugins.ExecuteAsync(request, linked.Token), timeout, runtime.TimeProvider, linked.Token).ConfigureAwait(false);
                if (!result.Success)
                {
                    run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' failed: {result.Error}");
                }
            }
            catch (OperationCanceledException) when (callerToken.IsCancellationRequested)
            {
                run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' was abandoned: the run was cancelled.");
            }
            catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && timer.IsCancellationRequested))
            {
                run.Warnings.Enqueue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Rollback of step '{record.Step.Id}' did not finish within {timeout.TotalMilliseconds} ms and was abandoned."));
            }
            catch (Exception ex)
            {
                run.Warnings.Enqueue($"Rollback of step '{record.Step.Id}' failed: {ex.Message}");
            }
        }
    }
}
