using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;

namespace Orchestrator.DataProtection.Tests;

public class DataProtectionCheckpointProtectorTests
{
    private const string Secret = "hunter2-s3cr3t";
    private readonly IDataProtectionProvider _keys = new EphemeralDataProtectionProvider();

    [Fact]
    public void Protect_ThenUnprotect_ReturnsThePayloadAndHidesIt()
    {
        var sut = new DataProtectionCheckpointProtector(_keys);

        var sealedText = sut.Protect($$"""{ "apiKey": "{{Secret}}" }""");

        Assert.DoesNotContain(Secret, sealedText, StringComparison.Ordinal);
        Assert.Equal($$"""{ "apiKey": "{{Secret}}" }""", sut.Unprotect(sealedText));
    }

    [Fact]
    public void Unprotect_AlteredText_Throws()
    {
        var sut = new DataProtectionCheckpointProtector(_keys);
        var sealedText = sut.Protect("payload");
        var altered = (sealedText[^2] == 'A' ? sealedText[..^2] + "B" : sealedText[..^2] + "A") + sealedText[^1];

        Assert.ThrowsAny<CryptographicException>(() => sut.Unprotect(altered));
    }

    [Fact]
    public async Task ProtectedCheckpointStore_WithDataProtection_StoresInputsAndDataSealedAndReadsThemBack()
    {
        var inner = new InMemoryCheckpointStore();
        var sut = new ProtectedCheckpointStore(inner, new DataProtectionCheckpointProtector(_keys));
        var inputs = JsonDocument.Parse($$"""{ "apiKey": "{{Secret}}" }""").RootElement;
        var data = JsonDocument.Parse($$"""{ "token": "{{Secret}}" }""").RootElement;

        await sut.CreateRunAsync(new RunCheckpoint { ExecutionId = "r", DefinitionJson = "{}", DefinitionHash = "h", Inputs = inputs, UserId = "u1", CreatedAt = DateTimeOffset.UnixEpoch });
        await sut.AppendStepsAsync("r", [new StepCheckpoint { StepId = "s", Status = StepStatus.Succeeded, Data = data }]);
        var raw = await inner.LoadAsync("r");
        var loaded = await sut.LoadAsync("r");

        Assert.DoesNotContain(Secret, raw!.Run.Inputs.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, raw.Steps[0].Data.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(Secret, loaded!.Run.Inputs.GetProperty("apiKey").GetString());
        Assert.Equal(Secret, loaded.Steps[0].Data.GetProperty("token").GetString());
    }
}
