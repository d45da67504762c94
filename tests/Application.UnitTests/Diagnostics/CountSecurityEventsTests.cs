using System.Diagnostics.Metrics;
using AuthPlatform.Application.Common.Diagnostics;
using AuthPlatform.Application.Common.Events;
using AuthPlatform.Application.Common.Persistence;
using AuthPlatform.Domain.Common;
using AuthPlatform.Domain.Sessions;
using AuthPlatform.Domain.Users;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Diagnostics;

public sealed class CountSecurityEventsTests : IDisposable
{
    private static readonly Guid UserId = Guid.NewGuid();

    private readonly TestMeterFactory _meters = new();
    private readonly MeterListener _listener = new();
    private readonly List<(string Instrument, long Value, string Tags)> _measured = [];
    private readonly List<Func<CancellationToken, Task>> _enqueued = [];
    private readonly CountSecurityEvents _handler;

    public CountSecurityEventsTests()
    {
        // Only this test's meters: every AuthMetrics in the process has the same meter name.
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, _meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            _measured.Add((instrument.Name, value, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))));
        _listener.Start();

        var afterCommit = Substitute.For<IAfterCommit>();
        afterCommit.When(a => a.Enqueue(Arg.Any<Func<CancellationToken, Task>>())).Do(call => _enqueued.Add(call.Arg<Func<CancellationToken, Task>>()));
        _handler = new CountSecurityEvents(new AuthMetrics(_meters), afterCommit);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _meters.Dispose();
    }

    private async Task DispatchAndCommitAsync(IDomainEvent domainEvent)
    {
        await _handler.Handle(new DomainEventNotification(domainEvent), CancellationToken.None);
        foreach (var action in _enqueued)
        {
            await action(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Handle_LoginFailed_CountsOnlyOnceTheChangeCommits()
    {
        await _handler.Handle(new DomainEventNotification(new LoginFailed(UserId, FailureReasons.WrongPassword)), CancellationToken.None);

        Assert.Empty(_measured);
        await _enqueued.Single()(CancellationToken.None);
        Assert.Equal([("authplatform.logins.failed", 1L, "reason=wrong_password")], _measured);
    }

    public static TheoryData<IDomainEvent, string[]> CountedEvents => new()
    {
        { new LoginSucceeded(UserId, ["pwd"], false), ["authplatform.logins.succeeded second_factor=none", "authplatform.tokens.issued kind=access", "authplatform.tokens.issued kind=refresh"] },
        { new LoginSucceeded(UserId, ["pwd", "otp"], false), ["authplatform.logins.succeeded second_factor=otp", "authplatform.tokens.issued kind=access", "authplatform.tokens.issued kind=refresh"] },
        { new LoginSucceeded(UserId, ["pwd", "otp"], true), ["authplatform.logins.succeeded second_factor=recovery_code", "authplatform.tokens.issued kind=access", "authplatform.tokens.issued kind=refresh"] },
        { new LoginFailed(null, FailureReasons.UnknownAccount), ["authplatform.logins.failed reason=unknown_account"] },
        { new LoginFailed(UserId, "made up by an extension"), ["authplatform.logins.failed reason=other"] },
        { new SecondFactorFailed(UserId, "step_up"), ["authplatform.second_factor.failures step=step_up"] },
        { new SecondFactorFailed(UserId, "someone@example.com"), ["authplatform.second_factor.failures step=other"] },
        { new AccountLocked(UserId, DateTimeOffset.UnixEpoch), ["authplatform.lockouts "] },
        { new PasswordVerified(UserId), ["authplatform.tokens.issued kind=mfa"] },
        { new TokenRefreshed(UserId, Guid.NewGuid()), ["authplatform.tokens.issued kind=access", "authplatform.tokens.issued kind=refresh"] },
        { new RefreshTokenReuseDetected(UserId, Guid.NewGuid()), ["authplatform.refresh_tokens.reuse_detected "] },
        { new UserDisabled(UserId, Guid.NewGuid()), ["authplatform.accounts.admin_changes change=disabled"] },
        { new UserEnabled(UserId, Guid.NewGuid()), ["authplatform.accounts.admin_changes change=enabled"] },
        { new AccountUnlocked(UserId, Guid.NewGuid()), ["authplatform.accounts.admin_changes change=unlocked"] },
        { new UserRoleChanged(UserId, Guid.NewGuid(), UserRole.Admin, UserRole.User), ["authplatform.accounts.admin_changes change=role_changed"] },
        { new SessionRevoked(UserId, Guid.NewGuid(), RevocationReasons.Logout), ["authplatform.sessions.revoked reason=logout"] },
        { new SessionRevoked(UserId, Guid.NewGuid(), RevocationReasons.RevokedByUser), ["authplatform.sessions.revoked reason=revoked_by_user"] },
        { new SessionRevoked(UserId, Guid.NewGuid(), "made up by an extension"), ["authplatform.sessions.revoked reason=other"] },
        { new SignedOutEverywhere(UserId), ["authplatform.sessions.signed_out_everywhere "] },
    };

    [Theory]
    [MemberData(nameof(CountedEvents))]
    public async Task Handle_CountedEvent_AddsOneToEachOfItsCountersWithBoundedTags(IDomainEvent domainEvent, string[] expected)
    {
        await DispatchAndCommitAsync(domainEvent);

        Assert.Equal(expected, _measured.Select(m => $"{m.Instrument} {m.Tags}"));
        Assert.All(_measured, m => Assert.Equal(1L, m.Value));
        Assert.DoesNotContain(_measured, m => m.Tags.Contains(UserId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_EventNotCounted_QueuesNothing()
    {
        await DispatchAndCommitAsync(new PasswordChanged(UserId));

        Assert.Empty(_enqueued);
        Assert.Empty(_measured);
    }

    /// <summary>What the host's <see cref="IMeterFactory"/> does: meters scoped to the factory, disposed with it.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _created = [];

        public Meter Create(MeterOptions options)
        {
            options.Scope = this;
            var meter = new Meter(options);
            _created.Add(meter);
            return meter;
        }

        public void Dispose() => _created.ForEach(m => m.Dispose());
    }
}
