module example.com/ibbridge

go 1.19
