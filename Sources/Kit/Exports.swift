// The CLI imports Kit only; Kit hands on the layers' public types.
@_exported import TMDiagCore
@_exported import Discovery
@_exported import Modem
@_exported import Profiles
@_exported import History
@_exported import Ticket
