using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Signing.EnsureSigningKey;
using AuthPlatform.Application.UnitTests.TestSupport;
using Microsoft.Extensions.Options;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Signing;

public sealed class EnsureSigningKeyHandlerTests
{
    private readonly Ports _ports = new();
    private readonly SigningPorts _signing = new();

    private DateTimeOffset Now => _ports.Clock.GetUtcNow();

    private Task<Result<EnsureSigningKeyResponse>> Ensure() =>
        new EnsureSigningKeyHandler(_signing.Keys, _signing.Material, _signing.Ring, _ports.AfterCommit, Options.Create(_ports.Jwt), _ports.Clock)
            .Handle(new EnsureSigningKeyCommand(), CancellationToken.None).AsTask();

    [Fact]
    public void Command_Always_SavesWithoutAmbientTransaction()
    {
        // Data Protection stores its first key ring through its own connection while the key is protected.
        Assert.IsAssignableFrom<ISavesWithoutAmbientTransaction>(new EnsureSigningKeyCommand());
    }

    [Fact]
    public async Task Handle_WithNoKeys_CreatesKeyThatSignsAtOnce()
    {
        var result = await Ensure();

        Assert.True(result.IsSuccess);
        var added = Assert.Single(_signing.AddedKeys());
        Assert.Equal("kid-1", result.Value.CreatedKid);
        Assert.True(result.Value.Created);
        Assert.Equal("kid-1", added.KeyId);
        Assert.Equal(Now, added.CreatedAt);
        Assert.Equal(Now, added.ActivatesAt);
        Assert.True(added.CanSign(Now));
        Assert.Null(added.RetiredAt);
    }

    [Fact]
    public async Task Handle_WithKeyThatCanSign_CreatesNothing()
    {
        _signing.StoredKey("signing", Now - TimeSpan.FromDays(1));

        var result = await Ensure();

        Assert.True(result.IsSuccess);
        Assert.False(result.Value.Created);
        Assert.Null(result.Value.CreatedKid);
        Assert.Empty(_signing.AddedKeys());
        _signing.Material.DidNotReceiveWithAnyArgs().Generate(default!);
    }

    [Fact]
    public async Task Handle_WithKeyPendingActivation_CreatesNothing()
    {
        _signing.StoredKey("pending", Now - TimeSpan.FromMinutes(1), Now + TimeSpan.FromMinutes(9));

        var result = await Ensure();

        Assert.False(result.Value.Created);
        Assert.Empty(_signing.AddedKeys());
    }

    [Fact]
    public async Task Handle_WithOnlyRetiredKeys_CreatesKeyThatSignsAtOnce()
    {
        var retired = _signing.StoredKey("retired", Now - TimeSpan.FromDays(30));
        retired.Retire(Now - TimeSpan.FromDays(1), TimeSpan.FromHours(1));

        var result = await Ensure();

        Assert.True(result.Value.Created);
        var added = Assert.Single(_signing.AddedKeys());
        Assert.True(added.CanSign(Now));
        Assert.Equal(Now - TimeSpan.FromDays(1), retired.RetiredAt);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("RS256")]
    public async Task Handle_WithNoKeysAndConfiguredAlgorithm_GeneratesKeyOfThatAlgorithm(string algorithm)
    {
        _ports.Jwt.SigningAlgorithm = algorithm;

        await Ensure();

        _signing.Material.Received(1).Generate(algorithm);
        Assert.Equal(algorithm, Assert.Single(_signing.AddedKeys()).Algorithm);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handle_WhetherOrNotAKeyExists_LoadsTheKeyRingOnlyWhenTheEnqueuedActionRuns(bool keyExists)
    {
        if (keyExists)
        {
            _signing.StoredKey("signing", Now - TimeSpan.FromDays(1));
        }

        await Ensure();

        _ports.AfterCommit.ReceivedWithAnyArgs(1).Enqueue(default!);
        await _signing.Ring.DidNotReceiveWithAnyArgs().ReloadAsync(default);

        await _ports.CommitAsync();

        await _signing.Ring.Received(1).ReloadAsync(Arg.Any<CancellationToken>());
    }
}
