using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.DataProtection.Tests.Hosting;

public class DataProtectionOrchestratorBuilderExtensionsTests
{
    private const string Secret = "hunter2-s3cr3t";

    [Fact]
    public async Task ProtectCheckpoints_AfterAStore_ResolvedStoreSealsInputsInTheRegisteredStoreAndReadsThemBack()
    {
        var inner = new InMemoryCheckpointStore();
        var services = new ServiceCollection();
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddWorkflowOrchestrator().AddCheckpointStore(_ => inner).ProtectCheckpoints();
        await using var provider = services.BuildServiceProvider();

        var sut = provider.GetRequiredService<ICheckpointStore>();
        await sut.CreateRunAsync(new RunCheckpoint { ExecutionId = "r", DefinitionJson = "{}", DefinitionHash = "h", Inputs = JsonDocument.Parse($$"""{ "apiKey": "{{Secret}}" }""").RootElement, UserId = "u1", CreatedAt = DateTimeOffset.UnixEpoch });
        var raw = await inner.LoadAsync("r");
        var loaded = await sut.LoadAsync("r");

        Assert.IsType<ProtectedCheckpointStore>(sut);
        Assert.DoesNotContain(Secret, raw!.Run.Inputs.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(Secret, loaded!.Run.Inputs.GetProperty("apiKey").GetString());
    }

    [Fact]
    public async Task ProtectCheckpoints_StoreRegisteredByType_IsCreatedByTheContainerAndWrapped()
    {
        var services = new ServiceCollection();
        services.AddDataProtection().UseEphemeralDataProtectionProvider();
        services.AddWorkflowOrchestrator().AddCheckpointStore<InMemoryCheckpointStore>().ProtectCheckpoints();
        await using var provider = services.BuildServiceProvider();

        var sut = provider.GetRequiredService<ICheckpointStore>();
        await sut.CreateRunAsync(new RunCheckpoint { ExecutionId = "r", DefinitionJson = "{}", DefinitionHash = "h", Inputs = JsonDocument.Parse($$"""{ "apiKey": "{{Secret}}" }""").RootElement, UserId = "u1", CreatedAt = DateTimeOffset.UnixEpoch });

        Assert.IsType<ProtectedCheckpointStore>(sut);
        Assert.Equal(Secret, (await sut.LoadAsync("r"))!.Run.Inputs.GetProperty("apiKey").GetString());
    }

    [Fact]
    public void ProtectCheckpoints_NoStoreRegistered_ThrowsNamingTheFix()
    {
        var builder = new ServiceCollection().AddWorkflowOrchestrator();

        var error = Assert.Throws<InvalidOperationException>(() => builder.ProtectCheckpoints());

        Assert.Contains("checkpoint store", error.Message, StringComparison.Ordinal);
    }
}
