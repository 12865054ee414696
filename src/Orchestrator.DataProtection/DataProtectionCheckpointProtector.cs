using Microsoft.AspNetCore.DataProtection;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Ports;

namespace Orchestrator.DataProtection;

/// <summary>
/// An <see cref="ICheckpointProtector"/> over ASP.NET Core Data Protection: payloads are encrypted and authenticated
/// with the application's key ring (its key storage, rotation and key encryption are the host's Data Protection
/// configuration). Use it by wrapping the checkpoint store: <c>new ProtectedCheckpointStore(store, protector)</c>.
/// Every process that resumes a run must share the key ring and the application name.
/// </summary>
public sealed class DataProtectionCheckpointProtector : ICheckpointProtector
{
    /// <summary>The purpose string the protector is created with; payloads protected under another purpose do not read back.</summary>
    public const string Purpose = "Orchestrator.Checkpoints.v1";

    private readonly IDataProtector _protector;

    /// <summary>Creates the protector from the host's Data Protection provider.</summary>
    /// <param name="provider">The provider (from <c>services.AddDataProtection()</c>).</param>
    public DataProtectionCheckpointProtector(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <inheritdoc />
    public string Protect(string plaintext) => _protector.Protect(plaintext);

    /// <inheritdoc />
    public string Unprotect(string protectedText) => _protector.Unprotect(protectedText);
}
