using AuthPlatform.Application.Auth.Common;
using AuthPlatform.Application.Common.Behaviours;
using AuthPlatform.Application.Common.Results;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Users;
using AuthPlatform.Domain.Users;
using FluentValidation;
using MapsterMapper;
using Mediator;

namespace AuthPlatform.Application.Auth.Register;

/// <summary>Creates a user account. Registering can never create an administrator.</summary>
public sealed record RegisterCommand(string Email, string Password, string Name)
    : ICommand<Result<UserResponse>>, ISavesWithoutAmbientTransaction, INewAccount;

public sealed class RegisterValidator : AbstractValidator<RegisterCommand>
{
    public RegisterValidator(IPasswordPolicy passwordPolicy) => NewAccounts.Rules(this, passwordPolicy);
}

public sealed class RegisterHandler(NewAccounts accounts, IMapper mapper) : ICommandHandler<RegisterCommand, Result<UserResponse>>
{
    public async ValueTask<Result<UserResponse>> Handle(RegisterCommand command, CancellationToken cancellationToken)
    {
        if (await accounts.ExistsAsync(command, cancellationToken))
        {
            return Error.Conflict("An account with this email address already exists.");
        }

        return mapper.Map<UserResponse>(accounts.Add(command, UserRole.User));
    }
}
