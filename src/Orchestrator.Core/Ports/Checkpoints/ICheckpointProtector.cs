using Orchestrator.Core.Durability;

namespace Orchestrator.Core.Ports;

/// <summary>
/// Encrypts (and authenticates) the payloads of checkpoints before a store keeps them: run inputs, step data and
/// approval texts, which can hold secrets. Applied by wrapping a store in <see cref="ProtectedCheckpointStore"/>;
/// <c>Orchestrator.DataProtection</c> is meant to implement it over ASP.NET Core Data Protection. Without a protector,
/// checkpoints hold these payloads in clear (see docs/security.md).
/// </summary>
public interface ICheckpointProtector
{
    /// <summary>Protects a payload.</summary>
    /// <param name="plaintext">The payload's JSON text.</param>
    /// <returns>Text safe to store: nothing of <paramref name="plaintext"/> can be read from it without the key.</returns>
    string Protect(string plaintext);

    /// <summary>Reads back a payload made by <see cref="Protect"/>.</summary>
    /// <param name="protectedText">What <see cref="Protect"/> returned.</param>
    /// <returns>The original JSON text.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The text was altered, or the key is gone.</exception>
    string Unprotect(string protectedText);
}
