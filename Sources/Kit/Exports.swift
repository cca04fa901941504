@_exported import TMDiagCore
