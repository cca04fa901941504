import TMDiagCore
