using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Memory;

/// <summary>The shared memory store behaviour against the in-memory reference store.</summary>
public class InMemoryMemoryStoreBehaviourTests : MemoryStoreBehaviourTests
{
    protected override ValueTask<IMemoryStore?> CreateStoreAsync() => ValueTask.FromResult<IMemoryStore?>(new InMemoryMemoryStore());
}
