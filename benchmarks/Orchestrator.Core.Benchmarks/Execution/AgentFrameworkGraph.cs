using Microsoft.Agents.AI.Workflows;

namespace Orchestrator.Core.Benchmarks.Execution;

/// <summary>
/// The same shape as a Microsoft Agent Framework workflow: one executor per step, an edge per dependency (a fan-out
/// edge where a step feeds several single-dependency steps, a fan-in barrier edge where a step waits for several).
/// </summary>
/// <remarks>
/// Two differences from the other executors, both forced by Agent Framework's model, are part of what is measured:
/// a workflow has exactly one start executor, so a shape with several roots (the layered one) gets one extra no-op
/// start executor that fans out to them; and a fan-in barrier delivers every source's message to the sink (one handler
/// call per message), so a step with k dependencies counts the k calls and does its work and sends once, on the last.
/// </remarks>
public sealed class AgentFrameworkGraph
{
    private int _fired;

    public AgentFrameworkGraph(DagShape shape, bool yield)
    {
        var nodes = new NoopExecutor[shape.Count];
        for (var v = 0; v < shape.Count; v++)
        {
            nodes[v] = new NoopExecutor(DagShape.StepId(v), shape.Dependencies[v].Length, shape.Dependents[v].Length > 0, yield, this);
        }

        var roots = Enumerable.Range(0, shape.Count).Where(v => shape.Dependencies[v].Length == 0).ToArray();
        NoopExecutor start;
        if (roots.Length == 1)
        {
            start = nodes[roots[0]];
            Executors = shape.Count;
        }
        else
        {
            start = new NoopExecutor("start", 0, sends: true, yield, this);
            Executors = shape.Count + 1;
        }

        var builder = new WorkflowBuilder(start);
        if (roots.Length > 1)
        {
            builder.AddFanOutEdge(start, [.. roots.Select(v => (ExecutorBinding)nodes[v])]);
        }

        for (var v = 0; v < shape.Count; v++)
        {
            // Edges into single-dependency steps leave from their dependency, all in one fan-out edge when there are several.
            var single = shape.Dependents[v].Where(d => shape.Dependencies[d].Length == 1).ToArray();
            if (single.Length == 1)
            {
                builder.AddEdge(nodes[v], nodes[single[0]]);
            }
            else if (single.Length > 1)
            {
                builder.AddFanOutEdge(nodes[v], [.. single.Select(d => (ExecutorBinding)nodes[d])]);
            }

            if (shape.Dependencies[v].Length > 1)
            {
                builder.AddFanInBarrierEdge([.. shape.Dependencies[v].Select(d => (ExecutorBinding)nodes[d])], nodes[v]);
            }
        }

        Workflow = builder.Build();
    }

    public Workflow Workflow { get; }

    /// <summary>How many executors the workflow has (the shape's steps, plus a start executor for several roots).</summary>
    public int Executors { get; }

    /// <summary>Runs the workflow to completion and returns how many executors did their work.</summary>
    public async Task<int> RunAsync()
    {
        Volatile.Write(ref _fired, 0);
        await using var run = await InProcessExecution.RunAsync(Workflow, 0).ConfigureAwait(false);
        var status = await run.GetStatusAsync().ConfigureAwait(false);
        if (status is not (RunStatus.Idle or RunStatus.Ended))
        {
            throw new InvalidOperationException($"The Agent Framework run ended {status}.");
        }

        return Volatile.Read(ref _fired);
    }

    /// <summary>
    /// A step that does nothing (or yields once) and passes the message on. Declared shareable across runs: the benchmark
    /// runs one workflow at a time, and the arrival counter is back to zero at the end of every run.
    /// </summary>
    private sealed class NoopExecutor(string id, int inDegree, bool sends, bool yield, AgentFrameworkGraph owner)
        : Executor<int>(id, options: null, declareCrossRunShareable: true)
    {
        private int _arrived;

        protected override ProtocolBuilder ConfigureProtocol(ProtocolBuilder protocolBuilder) =>
            base.ConfigureProtocol(protocolBuilder).SendsMessage<int>();

        public override ValueTask HandleAsync(int message, IWorkflowContext context, CancellationToken cancellationToken = default)
        {
            if (inDegree > 1)
            {
                if (Interlocked.Increment(ref _arrived) < inDegree)
                {
                    return ValueTask.CompletedTask;
                }

                _arrived = 0;
            }

            Interlocked.Increment(ref owner._fired);
            if (yield)
            {
                return YieldThenSendAsync(message, context, cancellationToken);
            }

            return sends ? context.SendMessageAsync(message, cancellationToken) : ValueTask.CompletedTask;
        }

        private async ValueTask YieldThenSendAsync(int message, IWorkflowContext context, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (sends)
            {
                await context.SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
