using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Durability;

/// <summary>The shared store behaviour, against the in-memory store.</summary>
public class InMemoryCheckpointStoreTests : CheckpointStoreBehaviourTests
{
    protected override ValueTask<ICheckpointStore?> CreateStoreAsync() => ValueTask.FromResult<ICheckpointStore?>(new InMemoryCheckpointStore());
}
