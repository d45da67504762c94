using AuthPlatform.Application.Signing;
using AuthPlatform.Domain.Signing;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Signing;

/// <summary>
/// Substitutes for the signing-key ports: a repository holding <see cref="Stored"/>, a factory
/// whose keys are numbered ("kid-1", "kid-2", ...) and a key ring that counts its reloads.
/// </summary>
internal sealed class SigningPorts
{
    private int _generated;

    public SigningPorts()
    {
        Keys.ListAsync(Arg.Any<CancellationToken>()).Returns(_ => Task.FromResult<IReadOnlyList<SigningKey>>(Stored.ToList()));
        Material.Generate(Arg.Any<string>()).Returns(call =>
        {
            var kid = $"kid-{++_generated}";
            return new SigningKeyMaterial(kid, call.Arg<string>(), $$"""{"kid":"{{kid}}"}""", $"protected-{kid}");
        });
    }

    public List<SigningKey> Stored { get; } = [];

    public ISigningKeyRepository Keys { get; } = Substitute.For<ISigningKeyRepository>();

    public ISigningKeyMaterialFactory Material { get; } = Substitute.For<ISigningKeyMaterialFactory>();

    public ISigningKeyRing Ring { get; } = Substitute.For<ISigningKeyRing>();

    /// <summary>A stored key created at <paramref name="createdAt"/>, signing from <paramref name="activatesAt"/> (default: at once).</summary>
    public SigningKey StoredKey(string kid, DateTimeOffset createdAt, DateTimeOffset? activatesAt = null)
    {
        var key = SigningKey.Create(kid, "ES256", $$"""{"kid":"{{kid}}"}""", $"protected-{kid}", createdAt, activatesAt ?? createdAt);
        Stored.Add(key);
        return key;
    }

    public IReadOnlyList<SigningKey> AddedKeys() =>
        Keys.ReceivedCalls().Where(c => c.GetMethodInfo().Name == nameof(ISigningKeyRepository.Add))
            .Select(c => (SigningKey)c.GetArguments()[0]!).ToList();
}
