using AuthPlatform.Application.Auth.ChangePassword;
using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Auth.Login;
using AuthPlatform.Application.Auth.Register;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.UnitTests.TestSupport;
using FluentValidation;
using Mediator;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.Behaviours;

public sealed class ValidationBehaviourTests
{
    private readonly ICommonPasswordList _commonPasswords = Substitute.For<ICommonPasswordList>();

    private static readonly RegisterCommand ValidRegistration = new("new@example.com", "a perfectly fine passphrase", "Newcomer");

    private static (MessageHandlerDelegate<TMessage, TResponse> Next, Func<int> Calls) Next<TMessage, TResponse>(TResponse response)
        where TMessage : notnull, IMessage
    {
        var calls = 0;
        return ((_, _) =>
        {
            calls++;
            return ValueTask.FromResult(response);
        }, () => calls);
    }

    private static UserResponse SomeUser() => new(Guid.NewGuid(), "new@example.com", "Newcomer", "user", DateTimeOffset.UnixEpoch);

    private ValidationBehaviour<RegisterCommand, Result<UserResponse>> RegisterBehaviour() =>
        new([new RegisterValidator(new CommonPasswordPolicy(_commonPasswords))]);

    [Fact]
    public async Task Handle_InvalidCommand_ReturnsValidationFailedWithoutCallingHandler()
    {
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await RegisterBehaviour().Handle(ValidRegistration with { Password = "short" }, next, CancellationToken.None);

        Assert.False(result.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, result.Error!.Code);
        Assert.False(result.KeepsChanges);
        Assert.Equal(0, calls());
        var fields = result.Error.Fields!;
        Assert.Equal(["password"], fields.Keys);
        Assert.Contains(fields["password"], m => m.Contains("at least 12", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Handle_SeveralInvalidFields_ListsEachInSnakeCase()
    {
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await RegisterBehaviour().Handle(new RegisterCommand("not-an-email", "short", "line\nbreak"), next, CancellationToken.None);

        Assert.Equal(0, calls());
        Assert.Equal(["email", "name", "password"], result.Error!.Fields!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Handle_MultiWordPropertyNames_AreSnakeCase()
    {
        var behaviour = new ValidationBehaviour<ChangePasswordCommand, Result>([new ChangePasswordValidator(new CommonPasswordPolicy(_commonPasswords))]);
        var (next, calls) = Next<ChangePasswordCommand, Result>(Result.Success());

        var result = await behaviour.Handle(new ChangePasswordCommand(Ports.PasswordCaller(Guid.NewGuid()), "", "short"), next, CancellationToken.None);

        Assert.Equal(0, calls());
        Assert.Equal(["current_password", "new_password"], result.Error!.Fields!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Handle_CommonPassword_FailsWithReason()
    {
        _commonPasswords.Contains("password1234password").Returns(true);
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await RegisterBehaviour().Handle(ValidRegistration with { Password = "password1234password" }, next, CancellationToken.None);

        Assert.Equal(0, calls());
        Assert.Contains(result.Error!.Fields!["password"], m => m.Contains("common", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Handle_ValidCommand_InvokesHandlerAndReturnsItsResult()
    {
        var user = SomeUser();
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(user);

        var result = await RegisterBehaviour().Handle(ValidRegistration, next, CancellationToken.None);

        Assert.Equal(1, calls());
        Assert.True(result.IsSuccess);
        Assert.Same(user, result.Value);
        _commonPasswords.Received(1).Contains(ValidRegistration.Password);
    }

    [Fact]
    public async Task Handle_NoValidators_InvokesHandler()
    {
        var behaviour = new ValidationBehaviour<LoginCommand, Result<LoginResponse>>([]);
        var (next, calls) = Next<LoginCommand, Result<LoginResponse>>(new Error(ErrorCodes.InvalidCredentials, "x"));

        var result = await behaviour.Handle(new LoginCommand("", ""), next, CancellationToken.None);

        Assert.Equal(1, calls());
        Assert.Equal(ErrorCodes.InvalidCredentials, result.Error!.Code);
    }

    [Fact]
    public async Task Handle_AllValidatorsRun_AndTheirErrorsAreMerged()
    {
        var extra = new InlineValidator<RegisterCommand>();
        extra.RuleFor(c => c.Name).Must(n => n != "Newcomer").WithMessage("Name taken by policy.");
        var behaviour = new ValidationBehaviour<RegisterCommand, Result<UserResponse>>([new RegisterValidator(new CommonPasswordPolicy(_commonPasswords)), extra]);
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await behaviour.Handle(ValidRegistration with { Password = "short" }, next, CancellationToken.None);

        Assert.Equal(0, calls());
        Assert.Equal(["name", "password"], result.Error!.Fields!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Name taken by policy."], result.Error.Fields["name"]);
    }

    [Theory]
    [InlineData("correcthorsebatterystaple")]
    [InlineData("alllowercaseletters")]
    [InlineData("ünïcödé pässwörd")]
    public async Task Handle_PasswordWithoutCompositionRules_IsAccepted(string password)
    {
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await RegisterBehaviour().Handle(ValidRegistration with { Password = password }, next, CancellationToken.None);

        Assert.True(result.IsSuccess, result.Error?.Fields is { } f ? string.Join("; ", f.SelectMany(kv => kv.Value)) : null);
        Assert.Equal(1, calls());
    }

    [Fact]
    public async Task Handle_PasswordOf12EmojiCodePoints_IsAcceptedAndOf11Refused()
    {
        var twelve = string.Concat(Enumerable.Repeat("\U0001F600", 12));
        var eleven = string.Concat(Enumerable.Repeat("\U0001F600", 11));
        var (next, _) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var accepted = await RegisterBehaviour().Handle(ValidRegistration with { Password = twelve }, next, CancellationToken.None);
        var refused = await RegisterBehaviour().Handle(ValidRegistration with { Password = eleven }, next, CancellationToken.None);

        Assert.True(accepted.IsSuccess);
        Assert.Equal(ErrorCodes.ValidationFailed, refused.Error!.Code);
    }

    [Fact]
    public async Task Handle_PasswordOf129Characters_IsRefused()
    {
        var (next, calls) = Next<RegisterCommand, Result<UserResponse>>(SomeUser());

        var result = await RegisterBehaviour().Handle(ValidRegistration with { Password = new string('x', 129) }, next, CancellationToken.None);
        var ok = await RegisterBehaviour().Handle(ValidRegistration with { Password = new string('x', 128) }, next, CancellationToken.None);

        Assert.Contains(result.Error!.Fields!["password"], m => m.Contains("at most 128", StringComparison.Ordinal));
        Assert.True(ok.IsSuccess);
        Assert.Equal(1, calls());
    }
}
