module github.com/lebot-dev/lebot

go 1.26.8
