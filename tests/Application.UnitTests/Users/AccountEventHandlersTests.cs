using AuthPlatform.Application.ApiKeys.Common;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.UnitTests.TestSupport;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Users;

/// <summary>The handlers that tell this instance's memory about a change of an account, once it commits.</summary>
public sealed class AccountEventHandlersTests
{
    private readonly Ports _ports = new();
    private readonly ISecurityStamps _stamps = Substitute.For<ISecurityStamps>();

    [Fact]
    public async Task RememberRotatedSecurityStamp_BeforeCommit_TellsNothingAndAfterCommitTheNewFingerprint()
    {
        var userId = Guid.NewGuid();
        var rotated = new SecurityStampRotated(userId, "fingerprint-2", _ports.Clock.GetUtcNow());

        await new RememberRotatedSecurityStamp(_stamps, _ports.AfterCommit).Handle(new DomainEventNotification(rotated), CancellationToken.None);

        _stamps.DidNotReceiveWithAnyArgs().Remember(default, default!, default);
        await _ports.CommitAsync();
        _stamps.Received(1).Remember(userId, "fingerprint-2", _ports.Clock.GetUtcNow());
    }

    [Fact]
    public async Task EvictKeysOfAccount_UserDisabled_EvictsEachOfTheirKeysAfterCommit()
    {
        var userId = Guid.NewGuid();
        _ports.ApiKeys.ListKeyHashesOfOwnerAsync(userId, Arg.Any<CancellationToken>()).Returns(["sha:a", "sha:b"]);

        await new EvictKeysOfAccount(_ports.ApiKeys, _ports.ApiKeyCache, _ports.AfterCommit)
            .Handle(new DomainEventNotification(new UserDisabled(userId, Guid.NewGuid())), CancellationToken.None);

        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);
        await _ports.CommitAsync();
        _ports.ApiKeyCache.Received(1).Evict("sha:a");
        _ports.ApiKeyCache.Received(1).Evict("sha:b");
    }

    [Fact]
    public async Task EvictKeysOfAccount_UserRoleChanged_EvictsEachOfTheirKeysAfterCommit()
    {
        var userId = Guid.NewGuid();
        _ports.ApiKeys.ListKeyHashesOfOwnerAsync(userId, Arg.Any<CancellationToken>()).Returns(["sha:c"]);

        await new EvictKeysOfAccount(_ports.ApiKeys, _ports.ApiKeyCache, _ports.AfterCommit)
            .Handle(new DomainEventNotification(new UserRoleChanged(userId, Guid.NewGuid(), UserRole.Admin, UserRole.User)), CancellationToken.None);

        _ports.ApiKeyCache.DidNotReceiveWithAnyArgs().Evict(default!);
        await _ports.CommitAsync();
        _ports.ApiKeyCache.Received(1).Evict("sha:c");
    }

    [Fact]
    public async Task EvictKeysOfAccount_OtherEvent_DoesNothing()
    {
        await new EvictKeysOfAccount(_ports.ApiKeys, _ports.ApiKeyCache, _ports.AfterCommit)
            .Handle(new DomainEventNotification(new PasswordChanged(Guid.NewGuid())), CancellationToken.None);

        await _ports.ApiKeys.DidNotReceiveWithAnyArgs().ListKeyHashesOfOwnerAsync(default, default);
        Assert.Empty(_ports.Enqueued);
    }
}
