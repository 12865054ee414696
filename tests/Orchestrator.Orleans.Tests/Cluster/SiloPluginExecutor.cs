using System.Text.Json;
using Orchestrator.Core.Ports;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>A silo's plugins: <c>calc.echo</c> answers with its parameters; every call is recorded in the world.</summary>
internal sealed class SiloPluginExecutor(TestWorld world, SiloLife life, string silo) : IPluginExecutor
{
    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (life.IsDead)
        {
            throw new IOException("This silo's process is gone.");
        }

        world.Calls.Enqueue(new TestWorld.PluginCall(request.ExecutionId, request.StepId, request.IdempotencyKey, world.Next(), silo));
        if (world.Gates.TryGetValue(request.ExecutionId + "/" + request.StepId, out var gate))
        {
            await gate.Task.WaitAsync(cancellationToken);
        }
        else if (world.Hold is { } hold && hold.StepId == request.StepId)
        {
            await hold.Gate.Task.WaitAsync(cancellationToken);
        }
        else
        {
            await Task.Yield(); // Runs interleave, so a kill lands in the middle of many of them.
        }

        return PluginResult.Ok(request.Parameters.ValueKind == JsonValueKind.Undefined ? default : request.Parameters.Clone());
    }
}
